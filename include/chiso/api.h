/* Export marker for the public API of libchiso, built with hidden visibility. */
#ifndef CHISO_API_H
#define CHISO_API_H

#define CS_API __attribute__((visibility("default")))

#endif
