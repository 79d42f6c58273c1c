package com.flowbridge.flow;

/** One FLOW call as the caller asked for it, kept aside so that every retry sends exactly the same request. */
record FlowRequest(String endpoint, String method, String path, String query, Object body, String commandId,
                   boolean stream, int maxAttempts, FlowPriority priority) {
}
