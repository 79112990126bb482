package dev.gateway.core.metrics;

/**
 * The bounded vocabularies metric labels take their values from, so that whatever clients send,
 * the number of series stays fixed: unknown methods are "other", statuses are counted by class.
 */
final class MetricLabels {

    static final String[] METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "other"};

    /** Index 0 is for a status outside 100-599. */
    static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private MetricLabels() {
    }

    static int methodIndex(String method) {
        switch (method) {
            case "GET": return 0;
            case "HEAD": return 1;
            case "POST": return 2;
            case "PUT": return 3;
            case "DELETE": return 4;
            case "PATCH": return 5;
            case "OPTIONS": return 6;
            case "CONNECT": return 7;
            case "TRACE": return 8;
            default: return METHODS.length - 1;
        }
    }

    static int statusClassIndex(int status) {
        return status >= 100 && status < 600 ? status / 100 : 0;
    }
}
