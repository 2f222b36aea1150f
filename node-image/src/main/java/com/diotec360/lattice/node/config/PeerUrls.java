package com.diotec360.lattice.node.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses peer HTTP base URLs (comma-separated env list or one-per-line peer-list file). */
public final class PeerUrls {
    private PeerUrls() {
    }

    /** Parses one peer base URL, normalised without a trailing slash. */
    public static URI parse(String text) {
        String trimmed = text.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + trimmed + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("'" + trimmed + "' has no host name");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("'" + trimmed + "' must be a base URL without query or fragment");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** Parses a comma-separated list; blank items are skipped. */
    public static List<URI> parseCommaList(String text, List<String> problems, String source) {
        List<URI> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",")) {
            addParsed(part, out, problems, source);
        }
        return out;
    }

    /** Parses a peer-list file's content: one URL a line, blank lines and '#' comments ignored. */
    public static List<URI> parseLines(String content, List<String> problems, String source) {
        List<URI> out = new ArrayList<>();
        for (String line : content.split("\\R")) {
            int hash = line.indexOf('#');
            String item = hash >= 0 ? line.substring(0, hash) : line;
            addParsed(item, out, problems, source);
        }
        return out;
    }

    private static void addParsed(String item, List<URI> out, List<String> problems, String source) {
        if (item.isBlank()) {
            return;
        }
        try {
            URI uri = parse(item);
            if (!out.contains(uri)) {
                out.add(uri);
            }
        } catch (IllegalArgumentException e) {
            problems.add(source + ": " + e.getMessage());
        }
    }
}
