package org.lockstep.manifest.page;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void saysHowLongAgoInTheCoarsestUsefulUnit() {
        assertThat(Times.relative(NOW.minusSeconds(2), NOW)).isEqualTo("just now");
        assertThat(Times.relative(NOW.minusSeconds(42), NOW)).isEqualTo("42 s ago");
        assertThat(Times.relative(NOW.minusSeconds(4 * 60 + 5), NOW)).isEqualTo("4 min 5 s ago");
        assertThat(Times.relative(NOW.minusSeconds(25 * 60 + 5), NOW)).isEqualTo("25 min ago");
        assertThat(Times.relative(NOW.minus(Duration.ofMinutes(125)), NOW)).isEqualTo("2 h 5 min ago");
        assertThat(Times.relative(NOW.minus(Duration.ofHours(50)), NOW)).isEqualTo("2 d 2 h ago");
    }

    @Test
    void aHostClockAheadOfTheManifestIsNotANegativeAge() {
        assertThat(Times.relative(NOW.plusSeconds(1), NOW)).isEqualTo("just now");
        assertThat(Times.relative(NOW.plusSeconds(30), NOW)).isEqualTo("in 30 s");
    }

    @Test
    void showsShortDurationsToATenthOfASecond() {
        assertThat(Times.duration(Duration.ofMillis(340))).isEqualTo("0.3 s");
        assertThat(Times.duration(Duration.ofMillis(7_160))).isEqualTo("7.2 s");
        assertThat(Times.duration(Duration.ofSeconds(75))).isEqualTo("1 min 15 s");
    }

    @Test
    void showsTheSwitchSkewToTheMillisecond() {
        assertThat(Times.millis(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Times.millis(Duration.ofMillis(312))).isEqualTo("312 ms");
        assertThat(Times.millis(Duration.ofMillis(9_999))).isEqualTo("9999 ms");
        assertThat(Times.millis(Duration.ofMillis(183_450))).isEqualTo("183450 ms, 3 min 3 s");
    }

    @Test
    void absoluteTimesAreUtc() {
        Times.TimeText text = Times.at(Instant.parse("2026-11-26T09:43:34.512Z"), NOW);
        assertThat(text.absolute()).isEqualTo("2026-11-26 09:43:34 UTC");
        assertThat(text.relative()).isEqualTo("2 h 16 min ago");
        assertThat(text.iso()).isEqualTo("2026-11-26T09:43:34.512Z");
        assertThat(Times.at(null, NOW)).isNull();
    }
}
