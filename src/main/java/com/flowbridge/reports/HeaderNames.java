package com.flowbridge.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a CSV header row into names that can key a JSON object: every name unique, and the same header row always
 * gives the same names. A name's first occurrence keeps it; later duplicates become {@code name_2}, {@code name_3};
 * an empty name becomes {@code column_<position>} (1-based). Names are otherwise kept exactly as FLOW wrote them.
 */
final class HeaderNames {

    private HeaderNames() {
    }

    static List<String> unique(List<String> header) {
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>(Collections.nCopies(header.size(), (String) null));
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (!name.isEmpty() && taken.add(name)) {
                names.set(i, name);
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (names.get(i) == null) {
                String name = header.get(i);
                String base = name.isEmpty() ? "column_" + (i + 1) : name;
                String candidate = name.isEmpty() ? base : base + "_2";
                for (int n = name.isEmpty() ? 2 : 3; !taken.add(candidate); n++) {
                    candidate = base + "_" + n;
                }
                names.set(i, candidate);
            }
        }
        return List.copyOf(names);
    }
}
