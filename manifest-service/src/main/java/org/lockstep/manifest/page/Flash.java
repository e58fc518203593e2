package org.lockstep.manifest.page;

/**
 * A message for the next page view after a form post: what an action did, or why it did nothing.
 *
 * @param kind {@code ok} or {@code error}, also the CSS class
 */
record Flash(String kind, String text) {

    static Flash ok(String text) {
        return new Flash("ok", text);
    }

    static Flash error(String text) {
        return new Flash("error", text);
    }
}
