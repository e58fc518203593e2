package org.lockstep.testing.fleet;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lockstep.testing.Http;

/**
 * A consumer that resolves {@code $ref}s across repositories (issue 13), looping as fast as it can on a thread of its
 * own: it fetches {@code latest} of a schema of one repository (the real fleet's {@code secondary}) from a random
 * host, then the schema of another repository (the real fleet's {@code primary}) that it {@code $ref}s by its served
 * URL, from a random host. A round misses when either answer is not a 200, when the first names no {@code $ref},
 * or when the second is not the schema the {@code $ref} names (its {@code $id} differs): a validation the real
 * fleet would have failed. A {@code secondary} change that goes live before the {@code primary} change it needs
 * makes this consumer miss; with {@code activate-after} it never may.
 */
public final class CrossRepoConsumer extends ReaderLoop {

    private static final Pattern REF = Pattern.compile("\\$ref: (/repositories/[^/\\s]+/jsonschema/(\\S+))");

    private final String latestUrl;

    /** Reads {@code latest} of {@code schema} of {@code repo}, then what it refers to, through {@code hosts}. */
    public CrossRepoConsumer(List<Nginx> hosts, String repo, String schema) {
        super("cross-repo-consumer", hosts);
        this.latestUrl = "/repositories/" + repo + "/jsonschema/" + schema + "/latest";
    }

    public CrossRepoConsumer start() {
        begin();
        return this;
    }

    @Override
    Optional<String> round() {
        Nginx first = anyHost();
        Http.Fetched latest = first.get(latestUrl);
        Matcher ref = REF.matcher(latest.body());
        if (latest.status() != 200 || !ref.find()) {
            return Optional.of("latest from " + first.url("") + " names no $ref: " + latest);
        }
        Nginx second = anyHost();
        Http.Fetched referenced = second.get(ref.group(1));
        if (referenced.status() != 200) {
            return Optional.of(ref.group(1) + " from " + second.url("") + ": " + referenced);
        }
        Matcher id = Canary.VERSION.matcher(referenced.body());
        if (!id.find() || !(id.group(1) + "/" + id.group(2)).equals(ref.group(2))) {
            return Optional.of(ref.group(1) + " from " + second.url("") + " is another schema: " + referenced);
        }
        return Optional.empty();
    }
}
