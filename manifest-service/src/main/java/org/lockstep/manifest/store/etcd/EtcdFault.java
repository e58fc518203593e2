package org.lockstep.manifest.store.etcd;

import org.lockstep.manifest.store.StoreUnavailable;

/** The store could not use etcd, for a reason an operator can act on ({@link EtcdProblem}); nothing was written. */
final class EtcdFault extends StoreUnavailable {

    private final EtcdProblem problem;

    private final String detail;

    EtcdFault(EtcdProblem problem, String detail, Throwable cause) {
        super(problem.slug() + ": " + detail, cause);
        this.problem = problem;
        this.detail = detail;
    }

    EtcdProblem problem() {
        return problem;
    }

    /** What happened, in a sentence (no stack trace, no password). */
    String detail() {
        return detail;
    }
}
