package com.flowbridge.testing;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (an alert rule's, a Grafana panel's) reads: every name that is neither a
 * function or aggregation (followed by "("), nor a keyword, a label (inside {...} or a by/without/on/ignoring list),
 * a string, a number or a duration, nor a Grafana variable ($job, ${instance}).
 */
public final class PromQlMetricNames {

    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS_OR_RANGE = Pattern.compile("\\{[^}]*}|\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile("(\\d[\\w.]*)|([a-zA-Z_:][\\w:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
        "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    /** Grafana's label_values(metric{...}, label): the metric is the first argument. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*([a-zA-Z_:][\\w:]*)");

    private PromQlMetricNames() {
    }

    public static Set<String> of(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.find()) {
            names.add(labelValues.group(1));
            return names;
        }
        String text = GRAFANA_VARIABLE.matcher(expression).replaceAll("");
        text = STRING.matcher(text).replaceAll("\"\"");
        text = MATCHERS_OR_RANGE.matcher(text).replaceAll(" ");
        text = LABEL_LIST.matcher(text).replaceAll(" ");
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            String name = token.group(2);
            if (name != null && token.group(3) == null && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}
