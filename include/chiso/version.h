/* The version of chiso, as printed by `chiso --version`. */
#ifndef CHISO_VERSION_H
#define CHISO_VERSION_H

#define CHISO_VERSION "0.1.0"

#endif
