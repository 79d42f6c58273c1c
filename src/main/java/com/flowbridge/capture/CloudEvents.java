package com.flowbridge.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.camel.Message;

/**
 * CloudEvents 1.0 binary-mode headers (the event's attributes as {@code ce_*} Kafka headers, the data as the
 * record value), set on every record flow-bridge publishes.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /** One digest per thread, reset for each use: looking the algorithm up costs more than hashing an id. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    });

    private CloudEvents() {
    }

    /**
     * Sets the headers. The id is derived from {@code identity} so that the same event, published again
     * (after a crash between publishing and remembering), has the same id and consumers can drop it.
     */
    public static void apply(Message message, String type, String source, String subject, Instant time, String... identity) {
        apply(message, type, source, subject, time.toString(), identity);
    }

    /** As above, with the time already formatted (ISO-8601), for many records of the same moment. */
    public static void apply(Message message, String type, String source, String subject, String time, String... identity) {
        message.setHeader(SPEC_VERSION, "1.0");
        message.setHeader(ID, deterministicId(identity));
        message.setHeader(TYPE, type);
        message.setHeader(SOURCE, source);
        message.setHeader(SUBJECT, subject);
        message.setHeader(TIME, time);
        message.setHeader(CONTENT_TYPE, "application/json");
    }

    /** A name-based UUID over the parts, stable across runs and instances. */
    public static String deterministicId(String... parts) {
        MessageDigest digest = sha256();
        for (String part : parts) {
            digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return UUID.nameUUIDFromBytes(digest.digest()).toString();
    }

    /** A short stand-in for a whole document in an id: its SHA-256, in hex. */
    public static String fingerprint(byte[] document) {
        return HexFormat.of().formatHex(sha256().digest(document));
    }

    static MessageDigest sha256() {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return digest;
    }
}
