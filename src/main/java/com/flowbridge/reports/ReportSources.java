package com.flowbridge.reports;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.flow.FlowAnswerException;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Where a report's CSV comes from. First its own CSV endpoint, streamed (a report of any size passes through in
 * bounded memory); where FLOW does not serve that path (404: the per-kind paths are assumed, not documented), the
 * compiled report, whose shape is known ({@code {"registrants", "operatorChat", "attendeeChat": CSV, "surveys":
 * {surveyId: CSV}}}) but which holds every report of the session as text at once.
 */
public final class ReportSources {

    static final String COMPILED_ENDPOINT = "report-compiled";

    private final Map<ReportKind, String> paths;
    private final String compiledPath;
    private final FlowAnswers answers;

    /**
     * @param paths        each kind's CSV path ({@code flow.api.path.report-*})
     * @param compiledPath the compiled report's path ({@code flow.api.path.report-compiled})
     */
    public ReportSources(Map<ReportKind, String> paths, String compiledPath, FlowAnswers answers) {
        this.paths = Map.copyOf(paths);
        this.compiledPath = compiledPath;
        this.answers = answers;
    }

    /** Asks {@code direct:flow-api} for the run's report from its own endpoint, as a stream. */
    public void perKind(Exchange exchange) {
        ReportRun run = ReportRun.of(exchange);
        ReportId report = run.report();
        String path = paths.get(report.kind());
        Message request = request(exchange, report.kind().endpoint(), path, report.sessionToken());
        if (report.surveyId() != null) {
            request.setHeader(FlowHeaders.SURVEY_ID, report.surveyId());
        }
        request.setHeader(FlowHeaders.STREAM, true);
        run.source(filled(path, report));
    }

    /** Asks {@code direct:flow-api} for the session's compiled report, as text. */
    public void compiled(Exchange exchange) {
        ReportRun run = ReportRun.of(exchange);
        request(exchange, COMPILED_ENDPOINT, compiledPath, run.report().sessionToken());
        run.source(filled(compiledPath, run.report()));
    }

    /** The run's CSV, taken from the compiled report FLOW answered with. */
    public String fromCompiled(Exchange exchange) {
        ReportId report = ReportRun.of(exchange).report();
        JsonNode compiled = answers.object(exchange.getMessage().getBody(String.class));
        JsonNode csv = compiled.path(report.kind().compiledField());
        if (report.surveyId() != null) {
            csv = csv.path(report.surveyId());
        }
        if (!csv.isTextual()) {
            throw new FlowAnswerException("FLOW's compiled report of session " + report.sessionToken() + " has no "
                + report.kind().compiledField() + (report.surveyId() == null ? "" : "." + report.surveyId()) + " CSV text");
        }
        return csv.asText();
    }

    /** The path as requested, for records to name their source (direct:flow-api fills and encodes it for the request itself). */
    private static String filled(String path, ReportId report) {
        String filled = path.replace("{sessionToken}", report.sessionToken());
        return report.surveyId() == null ? filled : filled.replace("{surveyId}", report.surveyId());
    }

    private static Message request(Exchange exchange, String endpoint, String path, String sessionToken) {
        Message request = exchange.getMessage();
        request.removeHeaders("Flow*");
        request.setHeader(FlowHeaders.ENDPOINT, endpoint);
        request.setHeader(FlowHeaders.PATH, path);
        request.setHeader(FlowHeaders.SESSION_TOKEN, sessionToken);
        request.setBody(null);
        return request;
    }
}
