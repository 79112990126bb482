package dev.gateway.config;

/** Which Netty transport serves sockets. {@code AUTO} picks epoll on Linux when available, else NIO. */
public enum Transport { AUTO, EPOLL, IO_URING, NIO }
