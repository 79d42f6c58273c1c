package com.flowbridge.reports;

/** A report request over HTTP that is refused, with the status and the reason its sender gets. */
public final class ReportRequestRefused extends RuntimeException {

    private final int status;
    private final Long retryAfterSeconds;

    public ReportRequestRefused(int status, String reason) {
        this(status, reason, null);
    }

    public ReportRequestRefused(int status, String reason, Long retryAfterSeconds) {
        super(reason);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds to wait before sending again (429), or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
