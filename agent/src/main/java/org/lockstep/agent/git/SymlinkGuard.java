package org.lockstep.agent.git;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a tree is safe to serve: every symlink must resolve inside the release, and no entry may sit
 * below a symlink. Resolution follows symlinks within the tree, as the kernel would, because a purely textual check
 * misses {@code d -> .} combined with {@code e -> d/../x}.
 */
final class SymlinkGuard {

    private static final int MAX_HOPS = 40;

    private SymlinkGuard() {
    }

    static void check(String commit, List<String> paths, Map<String, String> links) {
        for (String path : paths) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                if (links.containsKey(path.substring(0, slash))) {
                    throw new UnsafePath("commit " + commit + " has " + path + " below the symlink "
                            + path.substring(0, slash));
                }
            }
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            String problem = resolve(link.getKey(), link.getValue(), links);
            if (problem != null) {
                throw new UnsafeSymlink("commit " + commit + " has a symlink " + link.getKey() + " -> "
                        + link.getValue() + " that " + problem + "; a web server must never be led outside the"
                        + " release");
            }
        }
    }

    /** Returns why the link is unsafe, or {@code null} when it stays inside the tree. */
    private static String resolve(String linkPath, String target, Map<String, String> links) {
        Deque<String> resolved = new ArrayDeque<>(Arrays.asList(linkPath.split("/")));
        resolved.removeLast();
        Deque<String> todo = new ArrayDeque<>();
        if (!push(todo, target)) {
            return "is absolute";
        }
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (resolved.isEmpty()) {
                    return "climbs out of the release";
                }
                resolved.removeLast();
                continue;
            }
            resolved.addLast(part);
            String next = links.get(String.join("/", resolved));
            if (next != null) {
                if (++hops > MAX_HOPS) {
                    return "loops";
                }
                resolved.removeLast();
                if (!push(todo, next)) {
                    return "leads to an absolute symlink";
                }
            }
        }
        return null;
    }

    private static boolean push(Deque<String> todo, String target) {
        if (target.startsWith("/") || target.isEmpty()) {
            return false;
        }
        String[] parts = target.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
        return true;
    }
}
