package org.lockstep.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What {@link HaSystemTests} measured, written to {@code target/system/ha-figures.txt} (and printed) for docs/ha.md:
 * failover time (the instance killed or frozen -> the last of its agents answered by the other), cross-instance
 * latency (a write acknowledged by one instance -> a poll held on the other answered), and etcd's majority back ->
 * the rollout that waited for it activated. Figures, not assertions: the machine decides them.
 */
final class HaFigures {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private final List<Duration> crossInstance = new CopyOnWriteArrayList<>();

    void failover(String how, Instant at, Map<String, Instant> failedOver) {
        List<Long> millis = failedOver.values().stream().map(t -> Duration.between(at, t).toMillis()).sorted()
                .toList();
        lines.add("failover after %s: every agent polling the other instance after %d ms (per agent: %s ms)"
                .formatted(how, millis.get(millis.size() - 1), millis));
    }

    void crossInstance(String direction, Duration latency) {
        crossInstance.add(latency);
        lines.add("cross-instance latency %s: %d ms".formatted(direction, latency.toMillis()));
    }

    void etcdMajorityBack(Instant back, Instant activated) {
        lines.add("etcd majority back -> waiting rollout activated: %d ms"
                .formatted(Duration.between(back, activated).toMillis()));
    }

    void write() throws IOException {
        List<String> all = new ArrayList<>(lines);
        if (!crossInstance.isEmpty()) {
            List<Long> sorted = crossInstance.stream().map(Duration::toMillis).sorted().toList();
            all.add("cross-instance latency over %d writes: median %d ms, max %d ms".formatted(sorted.size(),
                    sorted.get(sorted.size() / 2), Collections.max(sorted)));
        }
        Path out = Path.of(System.getProperty("lockstep.work.dir", "target")).resolve("ha-figures.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, all);
        all.forEach(System.out::println);
    }
}
