package com.flowbridge.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import org.apache.camel.Message;

/**
 * commandIds for commands that come without one: a name-based UUID (version 5, SHA-1, RFC 9562) of the command's
 * normalised content, so the same command sent twice gets the same commandId and is recognised.
 */
public final class CommandIds {

    /** The record header that gives a command record its commandId, whatever its value says. */
    public static final String HEADER = "command-id";
    private static final int MAX_LENGTH = 200;

    /** flow-bridge's own namespace for name-based commandIds. */
    static final UUID NAMESPACE = UUID.fromString("6f1c2b8e-4d0a-5e7f-9a3b-2c1d0e9f8a7b");

    private CommandIds() {
    }

    /**
     * The commandId given by a command record's {@value #HEADER} header (trimmed), or null when the record has none,
     * or one that is blank or longer than a commandId may be.
     */
    public static String fromHeader(Message record) {
        Object header = record.getHeader(HEADER);
        String value = header instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
            : header == null ? null : header.toString();
        if (value == null || value.isBlank() || value.trim().length() > MAX_LENGTH) {
            return null;
        }
        return value.trim();
    }

    /** The commandId of a command whose normalised content is {@code name}. */
    public static String derive(String kind, byte[] name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer namespace = ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
            sha1.update(namespace.array());
            sha1.update(kind.getBytes(StandardCharsets.UTF_8));
            sha1.update((byte) 0);
            byte[] hash = sha1.digest(name);
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bits.getLong(), bits.getLong()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JVM", e);
        }
    }
}
