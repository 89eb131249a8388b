/*
 * Functions that must not be used in chiso: they overflow buffers, depend on
 * the locale or hide errors. Every .c file includes this header last, so a
 * use of one of them is a compile error. Use cs_buf, cs_str and the
 * strtol/strtod wrappers in str.h instead.
 */
#ifndef CHISO_BANNED_H
#define CHISO_BANNED_H

#define CS_BANNED_(func) sorry_##func##_is_banned_in_chiso

#undef strcpy
#define strcpy(x, y) CS_BANNED_(strcpy)
#undef strcat
#define strcat(x, y) CS_BANNED_(strcat)
#undef strncpy
#define strncpy(x, y, n) CS_BANNED_(strncpy)
#undef strncat
#define strncat(x, y, n) CS_BANNED_(strncat)
#undef sprintf
#define sprintf(...) CS_BANNED_(sprintf)
#undef vsprintf
#define vsprintf(...) CS_BANNED_(vsprintf)
#undef strtok
#define strtok(x, y) CS_BANNED_(strtok)
#undef strtok_r
#define strtok_r(x, y, z) CS_BANNED_(strtok_r)
#undef gets
#define gets(x) CS_BANNED_(gets)
#undef atoi
#define atoi(x) CS_BANNED_(atoi)
#undef atol
#define atol(x) CS_BANNED_(atol)
#undef atoll
#define atoll(x) CS_BANNED_(atoll)
#undef atof
#define atof(x) CS_BANNED_(atof)
#undef asctime
#define asctime(x) CS_BANNED_(asctime)
#undef ctime
#define ctime(x) CS_BANNED_(ctime)
#undef gmtime
#define gmtime(x) CS_BANNED_(gmtime)
#undef localtime
#define localtime(x) CS_BANNED_(localtime)

#endif
