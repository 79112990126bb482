package dev.gateway.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's "LEAK:" reports (logged by {@code io.netty.util.ResourceLeakDetector}) so that
 * {@link NoLeaksExtension} can fail the test class that produced them. Wired in by the test kit's
 * {@code logback-test.xml}.
 */
public final class LeakReportAppender extends AppenderBase<ILoggingEvent> {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static List<String> drain() {
        List<String> copy = List.copyOf(REPORTS);
        REPORTS.clear();
        return copy;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            REPORTS.add(message);
        }
    }
}
