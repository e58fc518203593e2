package org.lockstep.manifest.api;

import java.util.List;

/** One page of a longer list, newest first. */
public record PageOf<T>(List<T> items, int page, int size, long total) {
}
