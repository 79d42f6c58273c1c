package com.flowbridge.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.flowbridge.command.FieldError;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may send to the webhook. Three schemes, each with one or several keys (several at once during a rotation):
 * <ul>
 *   <li>Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}) with the
 *       {@code whsec_} secrets of {@code WEBHOOK_STANDARD_SECRET}: signs a timestamp with the body, so a captured
 *       request is refused once {@code WEBHOOK_TIMESTAMP_TOLERANCE} has passed;</li>
 *   <li>{@code X-Signature-256} with {@code WEBHOOK_SECRET} (the body only; {@code WEBHOOK_X_SIGNATURE_256_ENABLED=false}
 *       switches it off);</li>
 *   <li>{@code Authorization: Bearer} with {@code WEBHOOK_TOKEN} ({@code WEBHOOK_BEARER_TOKEN_ENABLED=false}).</li>
 * </ul>
 * A request is accepted when any scheme accepts it; a scheme with no key accepts nothing. It is checked on the raw
 * bytes before anything parses them. Keys given in files ({@code *_FILE}, one per line) are read again by
 * {@link #reload()}, so that they rotate without a restart.
 */
public final class WebhookAuth {

    public static final String SIGNATURE_HEADER = BodySignatureScheme.HEADER;
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.webhook");

    /** The schemes with the keys read last, and the values they were made from (to tell whether a file changed). */
    private record Keys(List<CredentialScheme> schemes, List<List<String>> values) {
    }

    private final CredentialSource standardSecrets;
    private final CredentialSource signatureSecrets;
    private final CredentialSource tokens;
    private final boolean signatureEnabled;
    private final boolean tokenEnabled;
    private final Duration tolerance;
    private final Clock clock;
    private volatile Keys keys;

    private WebhookAuth(CredentialSource standardSecrets, CredentialSource signatureSecrets, CredentialSource tokens,
                        boolean signatureEnabled, boolean tokenEnabled, Duration tolerance, Clock clock) {
        this.standardSecrets = standardSecrets;
        this.signatureSecrets = signatureSecrets;
        this.tokens = tokens;
        this.signatureEnabled = signatureEnabled;
        this.tokenEnabled = tokenEnabled;
        this.tolerance = tolerance;
        this.clock = clock;
        List<List<String>> values = List.of(standardSecrets.read(), signatureSecrets.read(), tokens.read());
        this.keys = new Keys(schemes(values), values);
    }

    /**
     * From {@code webhook.standard-secret}, {@code webhook.secret}, {@code webhook.token} (each comma-separated, or
     * their {@code -file} forms, one per line), {@code webhook.x-signature-256-enabled},
     * {@code webhook.bearer-token-enabled} and {@code webhook.timestamp-tolerance}.
     *
     * @throws IllegalStateException naming the setting (never a value) when one cannot be used
     */
    public static WebhookAuth fromSettings(Function<String, Optional<String>> settings, Clock clock) {
        String tolerance = settings.apply("webhook.timestamp-tolerance").orElse("5m");
        Duration window;
        try {
            window = Duration.ofMillis(TimeUtils.toMilliSeconds(tolerance));
        } catch (RuntimeException notADuration) {
            throw new IllegalStateException("WEBHOOK_TIMESTAMP_TOLERANCE '" + tolerance + "' is not a duration such as 5m or 300s");
        }
        return new WebhookAuth(CredentialSource.of(settings, "webhook.standard-secret"),
            CredentialSource.of(settings, "webhook.secret"), CredentialSource.of(settings, "webhook.token"),
            settings.apply("webhook.x-signature-256-enabled").map(Boolean::parseBoolean).orElse(true),
            settings.apply("webhook.bearer-token-enabled").map(Boolean::parseBoolean).orElse(true), window, clock);
    }

    /** The header value a sender puts in {@value #SIGNATURE_HEADER} for {@code body} signed with {@code secret}. */
    public static String signature(String secret, byte[] body) {
        return BodySignatureScheme.signature(secret, body);
    }

    /**
     * The credential that some scheme accepts, checked in this order: Standard Webhooks, {@code X-Signature-256},
     * bearer token.
     *
     * @param headers a request header by name, in any case (null when absent)
     * @throws WebhookRefusal 401: what is wrong with each credential the request carries, or, if it carries none,
     *                        what each accepted scheme requires
     */
    public Credential authenticate(byte[] body, Function<String, String> headers) {
        Instant now = clock.instant();
        List<CredentialScheme> schemes = keys.schemes();
        List<FieldError> problems = new ArrayList<>();
        for (CredentialScheme scheme : schemes) {
            if (!scheme.presented(headers)) {
                continue;
            }
            if (!accepts(scheme)) {
                problems.add(new FieldError(scheme.header(), "is not accepted by this server"));
                continue;
            }
            CredentialScheme.Verdict verdict = scheme.verify(body, headers, now);
            if (verdict.credential() != null) {
                return verdict.credential();
            }
            problems.add(verdict.refusal());
        }
        if (problems.isEmpty()) {
            schemes.stream().filter(this::accepts).forEach(scheme -> problems.add(new FieldError(scheme.header(), scheme.required())));
        }
        if (problems.isEmpty()) {
            problems.add(new FieldError(null, "this server accepts no credential (none is configured): every request is refused"));
        }
        throw WebhookRefusal.unauthorized(problems);
    }

    /** Whether any scheme accepts anything: with none, every request is refused. */
    public boolean acceptsAny() {
        return keys.schemes().stream().anyMatch(this::accepts);
    }

    /** Whether any key comes from a file, which {@link #reload()} reads again. */
    public boolean reloadable() {
        return standardSecrets.fromFile() || signatureSecrets.fromFile() || tokens.fromFile();
    }

    /**
     * Reads the key files again; when they changed, the new keys apply to the next request. A file that cannot be read
     * or holds a key that cannot be used leaves the keys as they were, saying so.
     *
     * @return whether the keys changed
     */
    public boolean reload() {
        Keys current = keys;
        List<List<String>> values;
        List<CredentialScheme> schemes;
        try {
            values = List.of(standardSecrets.read(), signatureSecrets.read(), tokens.read());
            if (values.equals(current.values())) {
                return false;
            }
            schemes = schemes(values);
        } catch (IllegalStateException unusable) {
            LOG.warn("Webhook credentials not reloaded, the ones in use stay: {}", unusable.getMessage());
            return false;
        }
        keys = new Keys(schemes, values);
        LOG.info("Webhook credentials reloaded: {}", describe());
        return true;
    }

    /** The schemes and the ids of their keys, for the log: never a key. */
    public String describe() {
        return keys.schemes().stream().map(scheme -> scheme.name() + " " + (enabled(scheme)
                ? scheme.keyIds().size() + (scheme.keyIds().size() == 1 ? " key " : " keys ") + scheme.keyIds()
                : "switched off"))
            .collect(Collectors.joining(", ")) + "; webhook-timestamp tolerance " + tolerance.toSeconds() + " s";
    }

    public Duration tolerance() {
        return tolerance;
    }

    private boolean accepts(CredentialScheme scheme) {
        return enabled(scheme) && !scheme.keyIds().isEmpty();
    }

    private boolean enabled(CredentialScheme scheme) {
        return switch (scheme.name()) {
            case BodySignatureScheme.NAME -> signatureEnabled;
            case BearerTokenScheme.NAME -> tokenEnabled;
            default -> true;
        };
    }

    private List<CredentialScheme> schemes(List<List<String>> values) {
        return List.of(StandardWebhooksScheme.of(values.get(0), standardSecrets.variable(), tolerance),
            new BodySignatureScheme(values.get(1)), new BearerTokenScheme(values.get(2)));
    }

    @Override
    public String toString() {
        return "WebhookAuth[" + describe() + "]";
    }
}
