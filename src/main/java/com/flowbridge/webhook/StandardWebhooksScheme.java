package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * Standard Webhooks signatures (standardwebhooks.com), as Svix and others send them: {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature}, a space-separated list of
 * {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}, keyed with the bytes of a {@code whsec_<base64>}
 * secret. The signature is computed by the specification's own Java library ({@link Webhook#sign}); its
 * {@code verify} is not used, as it allows a fixed 5 minutes by the system clock and one secret: here the tolerance is
 * a setting, the clock is flow-bridge's, and any configured secret (several during a rotation) may match any entry.
 * The timestamp is checked first: a request older or newer than the tolerance, however well signed, is refused.
 * Entries that are not {@code v1}, or whose signature is not base64, are skipped. The library signs the body as
 * text: a body that is not UTF-8 cannot match (a command is UTF-8 JSON, so nothing valid is lost).
 */
final class StandardWebhooksScheme implements CredentialScheme {

    static final String NAME = "standard-webhooks";
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    /** At most a commandId's length: the webhook-id may become one. Visible ASCII, so that it travels as a record header. */
    private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Pattern SECONDS = Pattern.compile("-?\\d{1,15}");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final String PREFIX = "whsec_";

    private record Key(String id, Webhook signer) {
    }

    private final List<Key> keys;
    private final Duration tolerance;

    private StandardWebhooksScheme(List<Key> keys, Duration tolerance) {
        this.keys = keys;
        this.tolerance = tolerance;
    }

    /**
     * @param secrets  {@code whsec_<base64>} each
     * @param variable where they came from, for the message when one is not of that form
     */
    static StandardWebhooksScheme of(List<String> secrets, String variable, Duration tolerance) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            String problem = variable + " entry " + (i + 1) + " of " + secrets.size() + " is not a Standard Webhooks secret "
                + "(whsec_ followed by base64)";
            if (!secret.startsWith(PREFIX) || secret.length() == PREFIX.length()) {
                throw new IllegalStateException(problem);
            }
            try {
                keys.add(new Key(KeyId.of(secret), new Webhook(secret)));
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalStateException(problem); // the decoder's message quotes a character of the secret
            }
        }
        return new StandardWebhooksScheme(List.copyOf(keys), tolerance);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String header() {
        return SIGNATURE;
    }

    @Override
    public boolean presented(Function<String, String> headers) {
        return headers.apply(ID) != null || headers.apply(TIMESTAMP) != null || headers.apply(SIGNATURE) != null;
    }

    @Override
    public String required() {
        return "a Standard Webhooks signature is required (webhook-id, webhook-timestamp and webhook-signature: "
            + "v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>), or another credential named here";
    }

    @Override
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    @Override
    public Verdict verify(byte[] body, Function<String, String> headers, Instant now) {
        String id = headers.apply(ID);
        String timestamp = headers.apply(TIMESTAMP);
        String signatures = headers.apply(SIGNATURE);
        for (String[] header : new String[][] {{ID, id}, {TIMESTAMP, timestamp}, {SIGNATURE, signatures}}) {
            if (header[1] == null || header[1].isBlank()) {
                return Verdict.refused(header[0], "is missing: a Standard Webhooks request carries webhook-id, "
                    + "webhook-timestamp and webhook-signature");
            }
        }
        id = id.trim();
        if (!WEBHOOK_ID.matcher(id).matches()) {
            return Verdict.refused(ID, "must be 1 to 200 visible ASCII characters");
        }
        if (!SECONDS.matcher(timestamp.trim()).matches()) {
            return Verdict.refused(TIMESTAMP, "must be a Unix time in whole seconds");
        }
        long seconds = Long.parseLong(timestamp.trim());
        long skew = seconds - now.getEpochSecond();
        if (Math.abs(skew) > tolerance.toSeconds()) {
            return Verdict.refused(TIMESTAMP, "is " + Math.abs(skew) + " s " + (skew < 0 ? "in the past" : "in the future")
                + " by this server's clock; at most " + tolerance.toSeconds() + " s either way is accepted"
                + (skew < 0 ? ": the request is too old (a replay, or a delivery held up) or the sender's clock is behind"
                : ": the sender's clock is ahead"));
        }
        List<byte[]> given = v1Signatures(signatures);
        if (given.isEmpty()) {
            return Verdict.refused(SIGNATURE, "has no v1,<base64> entry");
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        for (Key key : keys) {
            byte[] expected = expected(key, id, seconds, payload);
            boolean matches = false;
            for (byte[] signature : given) {
                matches |= MessageDigest.isEqual(expected, signature);
            }
            if (matches) {
                return Verdict.accepted(new Credential(NAME, key.id(), id));
            }
        }
        return Verdict.refused(SIGNATURE, "matches no secret this server accepts: sign {id}.{timestamp}.{body} (the body "
            + "byte for byte) with HMAC-SHA256, keyed with the base64-decoded part of the whsec_ secret");
    }

    /** Every {@code v1,<base64>} entry, decoded; other versions ({@code v1a}: asymmetric) and what is not base64 are skipped. */
    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : WHITE_SPACE.split(header.trim())) {
            if (entry.startsWith("v1,")) {
                try {
                    signatures.add(Base64.getDecoder().decode(entry.substring(3)));
                } catch (IllegalArgumentException notBase64) {
                    // not a signature: it cannot match
                }
            }
        }
        return signatures;
    }

    private static byte[] expected(Key key, String id, long seconds, String payload) {
        try {
            String signed = key.signer().sign(id, seconds, payload); // "v1,<base64>"
            return Base64.getDecoder().decode(signed.substring(signed.indexOf(',') + 1));
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }
}
