package com.flowbridge.webhook;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * At most {@code webhook.rate-limit} requests a second per webhook key (resilience4j's rate limiter, one per key id):
 * one sender, or one leaked key, cannot take the webhook for itself. A request over the limit is not queued; it is
 * told when the next second's permits come.
 */
final class CredentialRateLimits {

    private final RateLimiterRegistry limiters;
    private final int perSecond;

    /** @param perSecond requests per second per key; 0 for no limit */
    CredentialRateLimits(int perSecond) {
        this.perSecond = perSecond;
        this.limiters = perSecond <= 0 ? null : RateLimiterRegistry.of(RateLimiterConfig.custom()
            .limitForPeriod(perSecond).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
    }

    /** 0 when a request with this key may go on now, else the seconds until it may be sent again (at least 1). */
    long retryAfterSeconds(String keyId) {
        if (limiters == null) {
            return 0;
        }
        RateLimiter limiter = limiters.rateLimiter(keyId);
        if (limiter.acquirePermission()) {
            return 0;
        }
        long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 1_000_000_000L;
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    int perSecond() {
        return perSecond;
    }
}
