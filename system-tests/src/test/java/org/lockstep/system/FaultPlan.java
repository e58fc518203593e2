package org.lockstep.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which fault each step of the soak injects, drawn at random from a seed but with every kind present several times
 * (at least {@link #MIN_EACH}, else its share of the steps), so a short run still exercises each one. A
 * {@link Fault#HOSTILE_COMMIT} step comes on top of the good rollouts, so {@code goodRollouts} of them complete.
 */
final class FaultPlan {

    static final int MIN_EACH = 3;

    /** What a step does to the fleet while its rollout runs. */
    enum Fault {
        /** Nothing: a plain rollout. */
        NONE(0),
        /** One agent SIGKILLed during the rollout, and started again at once on the same disk. */
        AGENT_KILL(0.04),
        /** One agent SIGSTOPped for a second during the rollout. */
        AGENT_FREEZE(0.06),
        /** The manifest SIGKILLed right after it acknowledged the target, and started again. */
        MANIFEST_KILL(0.03),
        /** The manifest SIGSTOPped for a second during the rollout. */
        MANIFEST_FREEZE(0.03),
        /** The git remote hangs (git daemon SIGSTOPped) for a second and a half while the hosts fetch. */
        REMOTE_UNREACHABLE(0.04),
        /** A crafted commit (a name twice, a .git directory) merged and targeted: every host must refuse it. */
        HOSTILE_COMMIT(0.03);

        final double share;

        Fault(double share) {
            this.share = share;
        }
    }

    private final List<Fault> steps;

    private FaultPlan(List<Fault> steps) {
        this.steps = List.copyOf(steps);
    }

    static FaultPlan of(int goodRollouts, long seed) {
        List<Fault> good = new ArrayList<>();
        int hostile = 0;
        for (Fault fault : Fault.values()) {
            if (fault == Fault.NONE) {
                continue;
            }
            int count = Math.max(MIN_EACH, (int) Math.round(goodRollouts * fault.share));
            if (fault == Fault.HOSTILE_COMMIT) {
                hostile = count;
            }
            else {
                good.addAll(Collections.nCopies(count, fault));
            }
        }
        if (good.size() > goodRollouts) {
            throw new IllegalArgumentException("too few rollouts for every fault: " + goodRollouts);
        }
        good.addAll(Collections.nCopies(goodRollouts - good.size(), Fault.NONE));
        Random random = new Random(seed);
        Collections.shuffle(good, random);
        // Hostile steps go between good ones (never first: there must be something served to protect).
        for (int i = 0; i < hostile; i++) {
            good.add(1 + random.nextInt(good.size()), Fault.HOSTILE_COMMIT);
        }
        return new FaultPlan(good);
    }

    List<Fault> steps() {
        return steps;
    }

    Map<Fault, Integer> counts() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        steps.forEach(step -> counts.merge(step, 1, Integer::sum));
        return counts;
    }
}
