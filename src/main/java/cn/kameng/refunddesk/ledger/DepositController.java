package cn.kameng.refunddesk.ledger;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.security.CurrentCaller;

/** Deposits for finance (top-ups, recoveries, the fund) and a merchant's own deposit statement. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class DepositController {

    record Movement(@NotNull @Min(1) @Max(100_000_000_00L) Long amountFen, @Size(max = 2000) String note) {
    }

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String ONCE = "The same Idempotency-Key (1-100 printable ASCII characters) with the same "
            + "body answers what the first request answered and moves nothing; with another body it is 409.";

    /** What a finance request under an Idempotency-Key asked: the same again is the same request. */
    private record Asked(String operation, String merchantId, long amountFen, String note) {
    }

    private final DepositLedger ledger;
    private final OnceOnly onceOnly;
    private final CurrentCaller caller;

    DepositController(DepositLedger ledger, OnceOnly onceOnly, CurrentCaller caller) {
        this.ledger = ledger;
        this.onceOnly = onceOnly;
        this.caller = caller;
    }

    @GetMapping("/merchant-deposits/{merchantId}")
    DepositLedger.Statement statement(@PathVariable String merchantId, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Caller who = caller.get();
        if (!who.in(Caller.FINANCE) && !who.in(Caller.OPERATIONS) && !who.in(Caller.ADMINS)
                && !(who.in(Caller.MERCHANTS) && who.userId().equals(merchantId))) {
            throw new NotYours("a deposit statement is for finance, operations and the merchant itself");
        }
        return ledger.statement(merchantId, page, size);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Finance records a merchant's deposit top-up",
            description = ONCE)
    @PostMapping(path = "/merchant-deposits/{merchantId}/top-ups", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.Statement topUp(@PathVariable String merchantId, @Valid @RequestBody Movement body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        String by = financeUser();
        return once(by, idempotencyKey, new Asked("TOP_UP", merchantId, body.amountFen(), body.note()),
                DepositLedger.Statement.class, () -> ledger.topUp(merchantId, body.amountFen(), body.note(), by));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Finance records what a merchant paid back of the fund's "
            + "advances", description = ONCE)
    @PostMapping(path = "/merchant-deposits/{merchantId}/recoveries", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.Statement recover(@PathVariable String merchantId, @Valid @RequestBody Movement body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        String by = financeUser();
        return once(by, idempotencyKey, new Asked("RECOVERY", merchantId, body.amountFen(), body.note()),
                DepositLedger.Statement.class, () -> ledger.recover(merchantId, body.amountFen(), body.note(), by));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Finance puts money into the compensation fund",
            description = ONCE)
    @PostMapping(path = "/compensation-fund/top-ups", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.FundTopUp topUpFund(@Valid @RequestBody Movement body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        String by = financeUser();
        return once(by, idempotencyKey, new Asked("FUND_TOP_UP", null, body.amountFen(), body.note()),
                DepositLedger.FundTopUp.class, () -> ledger.topUpFund(body.amountFen(), body.note(), by));
    }

    /** Without a key, the movement; under one, at most once per finance user and key. */
    private <T> T once(String by, String idempotencyKey, Asked asked, Class<T> answerType,
            java.util.function.Supplier<T> movement) {
        if (idempotencyKey == null) {
            return movement.get();
        }
        if (!idempotencyKey.matches("[\\x21-\\x7E]{1,100}")) {
            throw BadInput.field("idempotencyKey", "the Idempotency-Key header must be 1 to 100 printable ASCII "
                    + "characters (a UUID will do)");
        }
        return onceOnly.once("finance:" + by + ":" + idempotencyKey, asked, "Idempotency-Key " + idempotencyKey,
                answerType, movement).answer();
    }

    private String financeUser() {
        Caller who = caller.get();
        if (!who.in(Caller.FINANCE) && !who.in(Caller.ADMINS)) {
            throw new NotYours("deposits, recoveries and the compensation fund are finance's to record");
        }
        return who.userId();
    }
}
