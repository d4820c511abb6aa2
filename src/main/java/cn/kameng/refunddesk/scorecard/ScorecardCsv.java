package cn.kameng.refunddesk.scorecard;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import cn.kameng.refunddesk.dispute.ComplaintChannel;

/**
 * Scorecards as RFC 4180 CSV (Apache Commons CSV): UTF-8 with a byte order mark so Excel reads Chinese
 * correctly, CRLF line ends, a header of stable English column names, one row per merchant and period;
 * an unknown number is an empty cell, never 0.
 */
public final class ScorecardCsv {

    /** The column names, in order; they are part of the API and do not change. */
    public static final List<String> HEADER = header();

    private ScorecardCsv() {
    }

    public static byte[] of(List<Scorecard> scorecards) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord(HEADER);
            for (Scorecard s : scorecards) {
                List<Object> row = new ArrayList<>(List.of(s.merchantId(), s.from(), s.to(), s.disputesOpened()));
                row.add(s.orders());
                row.add(s.disputesPerThousandOrders() == null ? null : s.disputesPerThousandOrders().toPlainString());
                row.addAll(List.of(s.refundsSettled(), s.refundedFen(), s.rulingsLost(), s.reachedArbitration(),
                        s.merchantProofMissing()));
                row.add(s.merchantProofMissingRate() == null ? null : s.merchantProofMissingRate().toPlainString());
                row.add(s.merchantAnswers());
                row.add(s.medianAnswerSeconds());
                for (ComplaintChannel c : ComplaintChannel.values()) {
                    row.add(s.complaints().get(c));
                }
                for (ComplaintChannel c : ComplaintChannel.values()) {
                    row.add(s.repeatComplaints().get(c));
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> header() {
        List<String> names = new ArrayList<>(List.of("merchant_id", "from", "to", "disputes_opened", "orders",
                "disputes_per_1000_orders", "refunds_settled", "refunded_fen", "rulings_lost", "reached_arbitration",
                "merchant_proof_missing", "merchant_proof_missing_rate", "merchant_answers", "median_answer_seconds"));
        for (ComplaintChannel c : ComplaintChannel.values()) {
            names.add("complaints_" + c.name().toLowerCase(Locale.ROOT));
        }
        for (ComplaintChannel c : ComplaintChannel.values()) {
            names.add("repeat_complaints_" + c.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }
}
