/**
 * On-the-fly response compression (RFC 9110 §8.4 content codings): which coding a client gets
 * ({@link ContentNegotiation}), which responses are worth it ({@link CompressionPolicy}), and the
 * per-exchange pipeline handler that streams a body through Netty's encoders
 * ({@link ResponseCompressor}, {@link Encoders}).
 */
package dev.gateway.core.compression;
