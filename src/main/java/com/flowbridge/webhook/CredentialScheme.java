package com.flowbridge.webhook;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import com.flowbridge.command.FieldError;

/**
 * One way a webhook sender proves who it is, with the keys it accepts (several during a rotation). A scheme with no
 * key accepts nothing. Every comparison with a key takes the same time whatever it compares.
 */
interface CredentialScheme {

    /** Its name in metrics and logs: {@code standard-webhooks}, {@code x-signature-256}, {@code bearer-token}. */
    String name();

    /** The header that names it in answers. */
    String header();

    /**
     * Whether the request carries this scheme's headers at all ({@code headers} looks a header up by name, any case):
     * by default, whether it carries {@link #header()}.
     */
    default boolean presented(Function<String, String> headers) {
        return headers.apply(header()) != null;
    }

    /** The key that accepts the request, or what is wrong with it. */
    Verdict verify(byte[] body, Function<String, String> headers, Instant now);

    /** What a sender must send, told to a request that carries no credential at all. */
    String required();

    /** The ids of its keys, in the order they are configured. */
    List<String> keyIds();

    /** A scheme's answer: the credential, or the reason it refuses. */
    record Verdict(Credential credential, FieldError refusal) {

        static Verdict accepted(Credential credential) {
            return new Verdict(credential, null);
        }

        static Verdict refused(String field, String message) {
            return new Verdict(null, new FieldError(field, message));
        }
    }
}
