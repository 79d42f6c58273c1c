package com.flowbridge.capture;

import java.util.List;

/** The changes decided for one scope of a polled entity, and the read they were decided from. */
public record DecidedChanges(ScopeRead read, List<Change> changes) {
}
