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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.security.CurrentCaller;

/** Deposits for finance (top-ups, recoveries, the fund) and a merchant's own deposit statement. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class DepositController {

    record Movement(@NotNull @Min(1) @Max(100_000_000_00L) Long amountFen, @Size(max = 2000) String note) {
    }

    private final DepositLedger ledger;
    private final CurrentCaller caller;

    DepositController(DepositLedger ledger, CurrentCaller caller) {
        this.ledger = ledger;
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

    @PostMapping(path = "/merchant-deposits/{merchantId}/top-ups", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.Statement topUp(@PathVariable String merchantId, @Valid @RequestBody Movement body) {
        return ledger.topUp(merchantId, body.amountFen(), body.note(), financeUser());
    }

    @PostMapping(path = "/merchant-deposits/{merchantId}/recoveries", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.Statement recover(@PathVariable String merchantId, @Valid @RequestBody Movement body) {
        return ledger.recover(merchantId, body.amountFen(), body.note(), financeUser());
    }

    @PostMapping(path = "/compensation-fund/top-ups", consumes = MediaType.APPLICATION_JSON_VALUE)
    DepositLedger.FundTopUp topUpFund(@Valid @RequestBody Movement body) {
        return ledger.topUpFund(body.amountFen(), body.note(), financeUser());
    }

    private String financeUser() {
        Caller who = caller.get();
        if (!who.in(Caller.FINANCE) && !who.in(Caller.ADMINS)) {
            throw new NotYours("deposits, recoveries and the compensation fund are finance's to record");
        }
        return who.userId();
    }
}
