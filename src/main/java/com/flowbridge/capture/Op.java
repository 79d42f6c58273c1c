package com.flowbridge.capture;

/** Debezium's change operations, with the word each one gives the CloudEvents type. */
public enum Op {
    /** The entity already existed when flow-bridge first looked (snapshot read). */
    READ("r", "read"),
    CREATE("c", "created"),
    UPDATE("u", "updated"),
    DELETE("d", "deleted");

    private final String code;
    private final String verb;

    Op(String code, String verb) {
        this.code = code;
        this.verb = verb;
    }

    /** The {@code op} field of the change envelope. */
    public String code() {
        return code;
    }

    /** The last part of the CloudEvents type, e.g. {@code flow.session.updated}. */
    public String verb() {
        return verb;
    }

    public static Op fromCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown change op '" + code + "'");
    }
}
