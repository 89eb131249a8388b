/*
 * QR codes as SVG (ISO/IEC 18004 through libqrencode), for the survey's
 * token slips: the command line's sheets and the workspace's token pages.
 */
#ifndef CHISO_REPORT_QR_SVG_H
#define CHISO_REPORT_QR_SVG_H

#include "chiso/error.h"
#include "util/buf.h"

/* White modules around a QR code, as ISO/IEC 18004 asks. */
#define CS_QR_QUIET 4

/*
 * Appends to out an SVG element drawing the QR code of text (error
 * correction level M) of size px pixels (0: no size, the viewBox alone),
 * with a white background and the dark modules as one path of horizontal
 * runs. CS_ETOOBIG when the text does not fit a QR code, CS_ENOMEM, and
 * out's CS_ETOOBIG when it is full.
 */
enum cs_err cs_qr_svg(struct cs_buf *out, const char *text, unsigned px, struct cs_error *err);

#endif
