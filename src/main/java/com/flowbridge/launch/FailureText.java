package com.flowbridge.launch;

/** A failure as one line for an operator verb's console: its message and its causes', at most about 400 characters. */
public final class FailureText {

    private FailureText() {
    }

    public static String of(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null && text.length() < 400; cause = cause.getCause()) {
            if (!text.isEmpty()) {
                text.append(": ");
            }
            text.append(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        return text.toString();
    }
}
