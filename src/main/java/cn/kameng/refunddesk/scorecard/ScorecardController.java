package cn.kameng.refunddesk.scorecard;

import java.util.List;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.security.CurrentCaller;

/** Merchant scorecards as JSON, or as CSV for a spreadsheet ({@code Accept: text/csv} or the .csv path). */
@RestController
@RequestMapping("/api/v1")
class ScorecardController {

    static final String TEXT_CSV = "text/csv";

    private final Scorecards scorecards;
    private final CurrentCaller caller;

    ScorecardController(Scorecards scorecards, CurrentCaller caller) {
        this.scorecards = scorecards;
        this.caller = caller;
    }

    @GetMapping(path = "/merchants/{merchantId}/scorecard", produces = MediaType.APPLICATION_JSON_VALUE)
    Scorecard scorecard(@PathVariable String merchantId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        return scorecards.of(caller.get(), merchantId, scorecards.period(from, to));
    }

    @GetMapping(path = "/merchants/{merchantId}/scorecard", produces = TEXT_CSV)
    ResponseEntity<byte[]> scorecardCsv(@PathVariable String merchantId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Period period = scorecards.period(from, to);
        return csv(List.of(scorecards.of(caller.get(), merchantId, period)), "scorecard-" + period.from() + "-"
                + period.to() + ".csv");
    }

    @GetMapping(path = "/merchants/{merchantId}/scorecard.csv")
    ResponseEntity<byte[]> scorecardCsvByPath(@PathVariable String merchantId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return scorecardCsv(merchantId, from, to);
    }

    @GetMapping(path = "/scorecards", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Scorecard> all(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return scorecards.all(caller.get(), scorecards.period(from, to));
    }

    @GetMapping(path = "/scorecards", produces = TEXT_CSV)
    ResponseEntity<byte[]> allCsv(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Period period = scorecards.period(from, to);
        return csv(scorecards.all(caller.get(), period), "scorecards-" + period.from() + "-" + period.to() + ".csv");
    }

    @GetMapping(path = "/scorecards.csv")
    ResponseEntity<byte[]> allCsvByPath(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        return allCsv(from, to);
    }

    private static ResponseEntity<byte[]> csv(List<Scorecard> rows, String fileName) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(TEXT_CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build()
                        .toString())
                .body(ScorecardCsv.of(rows));
    }
}
