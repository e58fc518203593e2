package org.lockstep.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The manifest URLs to try, in order: {@code --manifest} if given, else {@code LOCKSTEP_MANIFEST_URLS}
 * (comma-separated). Only plain {@code http(s)://host[:port][/path]} URLs: a URL carrying a user name or password
 * is refused, since the URL appears in messages and a credential must only ever travel as the token.
 */
final class ManifestUrls {

    private final Map<String, String> environment;

    ManifestUrls(Map<String, String> environment) {
        this.environment = environment;
    }

    List<URI> resolve(List<String> option) {
        List<String> given = option != null && !option.isEmpty() ? option
                : split(environment.get(Lockstep.MANIFEST_ENV));
        List<URI> urls = new ArrayList<>();
        for (String text : given) {
            if (!text.isBlank()) {
                urls.add(parse(text.trim()));
            }
        }
        if (urls.isEmpty()) {
            throw new CliFailure(ExitCode.REFUSED, "no manifest URL: give --manifest URL[,URL...] or set $"
                    + Lockstep.MANIFEST_ENV);
        }
        return urls;
    }

    private static List<String> split(String value) {
        return value == null ? List.of() : Arrays.asList(value.split(","));
    }

    private static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        }
        catch (URISyntaxException ex) {
            throw new CliFailure(ExitCode.REFUSED, "not a manifest URL: " + ex.getMessage());
        }
        if (uri.getRawUserInfo() != null) {
            throw new CliFailure(ExitCode.REFUSED, "a manifest URL must not carry a user name or password"
                    + " (give the token in $" + Lockstep.TOKEN_ENV + " or --token-file)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CliFailure(ExitCode.REFUSED, "not a manifest URL (want http(s)://host[:port][/path]): "
                    + text);
        }
        return uri;
    }
}
