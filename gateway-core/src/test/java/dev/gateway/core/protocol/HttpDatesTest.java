package dev.gateway.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Date header's IMF-fixdate (RFC 9110 §5.6.7): fixed width, two-digit day. */
class HttpDatesTest {

    @Test
    void oneDigitDayIsPaddedToTwoDigits() {
        assertThat(HttpDates.format(Instant.parse("2026-12-03T08:06:54Z").getEpochSecond()))
                .isEqualTo("Thu, 03 Dec 2026 08:06:54 GMT");
    }

    @Test
    void twoDigitDayAndMidnight() {
        assertThat(HttpDates.format(Instant.parse("1994-11-06T00:00:00Z").getEpochSecond()))
                .isEqualTo("Sun, 06 Nov 1994 00:00:00 GMT");
        assertThat(HttpDates.format(Instant.parse("2026-11-22T23:59:59Z").getEpochSecond()))
                .isEqualTo("Sun, 22 Nov 2026 23:59:59 GMT");
    }

    @Test
    void nowIsAFixdateOfTheCurrentSecond() {
        long before = System.currentTimeMillis() / 1000;
        String now = HttpDates.now();
        long after = System.currentTimeMillis() / 1000;
        assertThat(now).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(now).isIn(HttpDates.format(before), HttpDates.format(after));
    }
}
