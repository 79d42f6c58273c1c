package com.flowbridge.launch;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.flowbridge.flow.FlowApiSecret;
import com.flowbridge.webhook.WebhookAuth;

/**
 * The settings flow-bridge cannot run without, and the unsafe ones it refuses, checked before Camel starts
 * so the answer is one clear message instead of a stack trace about a placeholder.
 */
public final class StartupCheck {

    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)?");

    private StartupCheck() {
    }

    /** What is wrong, one sentence each; empty when flow-bridge can start. */
    public static List<String> problems(Settings settings) {
        List<String> problems = new ArrayList<>();
        try {
            FlowApiSecret.resolve(settings::get);
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
        }
        try {
            WebhookAuth.fromSettings(settings::get, Clock.systemUTC()); // the webhook's secret lists and files, the tolerance
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
        }
        if (settings.get("kafka.bootstrap.servers").isEmpty()) {
            problems.add("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        String baseUrl = settings.get("flow.base.url", "");
        String insecure = unsafeBaseUrl(baseUrl, Boolean.parseBoolean(settings.get("flow.api.allow-insecure-http", "false")));
        if (insecure != null) {
            problems.add(insecure);
        }
        for (String key : List.of("flow.poll.interval", "flow.registrants.poll.interval",
            "flow.registrants.past-window", "flow.operators.poll.interval")) {
            settings.get(key).filter(value -> !value.startsWith("{{") && !DURATION.matcher(value.trim()).matches())
                .ifPresent(value -> problems.add(Settings.environmentVariable(key) + " '" + value
                    + "' is not a duration such as 30s, 5m or 1h"));
        }
        return problems;
    }

    /** Why the api-secret must not be sent to this base URL, or null if it may. */
    public static String unsafeBaseUrl(String baseUrl, boolean allowInsecure) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return "FLOW_BASE_URL '" + baseUrl + "' is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return "FLOW_BASE_URL '" + baseUrl + "' is not an http(s) URL";
        }
        if (scheme.equals("http") && !allowInsecure && !isLoopback(uri.getHost())) {
            return "FLOW_BASE_URL uses plain http to " + uri.getHost()
                + ": the api-secret would travel unencrypted. Use https, or set FLOW_API_ALLOW_INSECURE_HTTP=true if you must";
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
