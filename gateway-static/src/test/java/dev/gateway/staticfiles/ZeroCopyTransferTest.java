package dev.gateway.staticfiles;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Without TLS, file bytes go out as {@code FileRegion}s ({@code sendfile}). */
class ZeroCopyTransferTest extends LargeFileTransfers {

    @RegisterExtension
    static final StaticServer server = new StaticServer();

    @Override
    StaticServer server() {
        return server;
    }
}
