package org.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTests {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheWaysPeopleWriteDurations() {
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(converter.convert("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert(" 10S ")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesWhatIsNotAPositiveDuration() {
        for (String bad : new String[] {"", "15", "m", "15 m", "1.5m", "-5s", "0s", "PT0S", "Pfoo", "15min"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void formatsDurationsTheSameWay() {
        assertThat(DurationConverter.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(DurationConverter.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(DurationConverter.format(Duration.ofMillis(800))).isEqualTo("800ms");
        assertThat(DurationConverter.format(Duration.ofSeconds(3661))).isEqualTo("1h1m1s");
    }
}
