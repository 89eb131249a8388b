/* QR codes drawn as SVG paths from libqrencode's module matrix. */
#include <errno.h>

#include <qrencode.h>

#include "report/qr_svg.h"

#include "util/banned.h"

enum cs_err cs_qr_svg(struct cs_buf *out, const char *text, unsigned px, struct cs_error *err)
{
	QRcode *qr;
	enum cs_err rc;
	int w, side;

	errno = 0;
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return cs_fail(err, errno == ENOMEM ? CS_ENOMEM : CS_ETOOBIG,
			       "cannot make a QR code of '%.80s': %s", text,
			       errno == ERANGE ? "too long" : "encoding failed");
	w = qr->width;
	side = w + 2 * CS_QR_QUIET;
	rc = cs_buf_addf(out, err,
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"", side,
			 side);
	if (!rc && px)
		rc = cs_buf_addf(out, err, " width=\"%u\" height=\"%u\"", px, px);
	if (!rc)
		rc = cs_buf_addstr(out,
				   " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
				   "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path "
				   "fill=\"#000\" d=\"",
				   err);
	for (int y = 0; !rc && y < w; y++) {
		for (int x = 0; !rc && x < w;) {
			int run = 0;

			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run) {
				rc = cs_buf_addf(out, err, "M%d %dh%dv1h-%dz", x + CS_QR_QUIET,
						 y + CS_QR_QUIET, run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	if (!rc)
		rc = cs_buf_addstr(out, "\"/></svg>", err);
	QRcode_free(qr);
	return rc;
}
