package dev.gateway.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (PARANOID in tests) reported a buffer that was
 * never released. Registered for every test through JUnit's extension auto-detection.
 *
 * <p>Leaks are found when the garbage collector has cleared a tracked buffer and a later
 * allocation polls the detector's queue, so this nudges both before it looks.
 */
public final class NoLeaksExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            allocateAndRelease();
        }
        List<String> reports = LeakReportAppender.drain();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " Netty buffer leak report(s) in "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", reports));
        }
    }

    private static void allocateAndRelease() {
        for (int i = 0; i < 64; i++) {
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(16);
            pooled.release();
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(16);
            unpooled.release();
        }
    }
}
