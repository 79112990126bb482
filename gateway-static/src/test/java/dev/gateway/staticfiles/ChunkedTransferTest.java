package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With an SslHandler in the pipeline (a real one, self-signed certificate) file bytes must pass
 * through the SSL engine, so they are written as {@code ChunkedInput}s via the pipeline's
 * {@code ChunkedWriteHandler}.
 */
class ChunkedTransferTest extends LargeFileTransfers {

    @RegisterExtension
    static final StaticServer server = new StaticServer().tls();

    @Override
    StaticServer server() {
        return server;
    }

    @Test
    void smallFilesRangesAndHeadWorkOverTls() throws IOException {
        Files.writeString(server.root().resolve("small.txt"), "hello over tls");

        assertThat(new String(server.get("/small.txt").body())).isEqualTo("hello over tls");
        assertThat(new String(server.get("/small.txt", "Range", "bytes=6-9").body())).isEqualTo("over");
        HttpResponse<byte[]> multi = server.get("/small.txt", "Range", "bytes=0-4,11-13");
        List<MultipartBody.Part> parts = MultipartBody.parse(multi.body(),
                MultipartBody.boundaryOf(multi.headers().firstValue("content-type").orElseThrow()));
        assertThat(new String(parts.get(0).data())).isEqualTo("hello");
        assertThat(new String(parts.get(1).data())).isEqualTo("tls");
        HttpResponse<byte[]> head = server.head("/small.txt");
        assertThat(head.headers().firstValue("content-length")).hasValue("14");
        assertThat(head.body()).isEmpty();
    }
}
