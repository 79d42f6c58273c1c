package com.flowbridge.reports;

/** A report request over HTTP that is refused, with the status and the reason its sender gets. */
public final class ReportRequestRefused extends RuntimeException {

    private final int status;

    public ReportRequestRefused(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
