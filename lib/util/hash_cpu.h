/* Internal to sha256.c and crc32c.c: run-time choice of the hardware paths. */
#ifndef INC_UTIL_HASH_CPU_H
#define INC_UTIL_HASH_CPU_H

/* The x86-64 hardware paths need GCC/Clang target attributes; defining
 * INC_NO_HW_HASH builds the portable code only (also how it is tested). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(INC_NO_HW_HASH)
#define INC__HASH_X86 1
#endif

/* Features, as bits of the value returned by inc__hash_cpu(). */
#define INC__CPU_SHA   1u /* SHA extensions + SSE4.1 (the SHA-NI path) */
#define INC__CPU_CRC32 2u /* SSE4.2 crc32 instruction */

/* Hardware features usable now: 0 when inc__hash_force_portable(1) is in
 * effect or on architectures without a hardware path. */
unsigned inc__hash_cpu(void);
/* What the machine has, whether or not the portable paths are forced. */
unsigned inc__hash_cpu_features(void);

#endif
