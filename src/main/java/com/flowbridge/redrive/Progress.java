package com.flowbridge.redrive;

import java.io.PrintStream;

/**
 * A progress bar for a person watching a terminal ({@code [#########.........]  512/1024 read, 300 redriven}),
 * redrawn in place at most ten times a second. Off when the output is not a terminal (a file, a pipe, a CI log),
 * where only the summary line is printed.
 */
final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long total;
    private final String verb;
    private long drawnAt;
    private boolean drawn;

    /** @param verb what is counted, e.g. "redriven" or "would be redriven" */
    Progress(PrintStream out, boolean terminal, long total, String verb) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.verb = verb;
    }

    void update(long read, long selected) {
        long now = System.nanoTime();
        if (terminal && (!drawn || now - drawnAt >= REDRAW_NANOS)) {
            draw(read, selected);
            drawnAt = now;
        }
    }

    /** The last state, and the end of the bar's line. */
    void finish(long read, long selected) {
        if (terminal) {
            draw(read, selected);
            out.println();
        }
    }

    private void draw(long read, long selected) {
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, read * WIDTH / total);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + read + "/" + total + " read, "
            + selected + " " + verb);
        out.flush();
        drawn = true;
    }
}
