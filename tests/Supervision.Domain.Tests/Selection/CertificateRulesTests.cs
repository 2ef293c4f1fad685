using Supervision.Domain.Selection;

namespace Supervision.Domain.Tests.Selection;

public sealed class CertificateRulesTests
{
    private static readonly Certificate PrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 10, 1), new DateOnly(2027, 9, 30));
    private static readonly Certificate Isms2022 = new(CertificateKind.Isms, "ISO/IEC 27001:2022", new DateOnly(2025, 7, 1), new DateOnly(2028, 6, 30));
    private static readonly Certificate Isms2013 = new(CertificateKind.Isms, "ISO/IEC 27001:2013", new DateOnly(2023, 7, 1), new DateOnly(2026, 6, 30));

    [Fact]
    public void Qa_1_5_PrivacyMark_RenewalWindow_Opens8AndCloses4MonthsBeforeExpiry()
    {
        DateWindow? window = CertificateRules.RenewalWindow(PrivacyMark);

        Assert.Equal(new DateWindow(new DateOnly(2027, 1, 30), new DateOnly(2027, 5, 30)), window);
    }

    [Fact]
    public void Isms_HasNoRenewalWindow()
    {
        Assert.Null(CertificateRules.RenewalWindow(Isms2022));
    }

    [Theory]
    [InlineData("2027-01-29", CertificateStatus.Valid)]
    [InlineData("2027-01-30", CertificateStatus.ExpiringSoon)]
    [InlineData("2027-09-30", CertificateStatus.ExpiringSoon)]
    [InlineData("2027-10-01", CertificateStatus.Expired)]
    public void Qa_1_5_PrivacyMark_IsExpiringSoonFromTheOpeningOfItsRenewalWindow(string today, CertificateStatus expected)
    {
        Assert.Equal(expected, CertificateRules.Status(PrivacyMark, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2027-12-29", CertificateStatus.Valid)]
    [InlineData("2027-12-30", CertificateStatus.ExpiringSoon)]
    [InlineData("2028-06-30", CertificateStatus.ExpiringSoon)]
    [InlineData("2028-07-01", CertificateStatus.Expired)]
    public void Qa_1_5_Isms2022_IsExpiringSoonSixMonthsBeforeItsEnd(string today, CertificateStatus expected)
    {
        Assert.Equal(expected, CertificateRules.Status(Isms2022, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2025-04-29", CertificateStatus.Valid)]
    [InlineData("2025-04-30", CertificateStatus.ExpiringSoon)]
    [InlineData("2025-10-31", CertificateStatus.ExpiringSoon)]
    [InlineData("2025-11-01", CertificateStatus.Lapsed)]
    [InlineData("2026-07-01", CertificateStatus.Lapsed)]
    public void Qa_1_5_Isms2013_LapsesAfterTheTransitionDeadline_WhateverItsPrintedExpiry(string today, CertificateStatus expected)
    {
        Assert.Equal(expected, CertificateRules.Status(Isms2013, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Isms2013_ThatExpiredBeforeTheDeadline_IsExpired_UntilTheDeadlinePasses()
    {
        Certificate old = Isms2013 with { IssuedOn = new DateOnly(2022, 1, 1), ExpiresOn = new DateOnly(2024, 12, 31) };

        Assert.Equal(CertificateStatus.Expired, CertificateRules.Status(old, new DateOnly(2025, 1, 1)));
        Assert.Equal(CertificateStatus.Lapsed, CertificateRules.Status(old, new DateOnly(2025, 11, 1)));
    }

    [Theory]
    [InlineData("ISO/IEC 27001:2013", "2023-01-01", true)]
    [InlineData("JIS Q 27001:2014", "2023-01-01", true)]
    [InlineData("ISO/IEC 27001:2022", "2023-01-01", false)]
    [InlineData("JIS Q 27001:2023", "2024-01-01", false)]
    [InlineData(null, "2022-10-24", true)]
    [InlineData(null, "2022-10-25", false)]
    [InlineData("unknown", "2021-05-01", true)]
    public void IsmsEdition_IsSupersededBefore2022_OrInferredFromTheIssueDate(string? edition, string issuedOn, bool superseded)
    {
        DateOnly issued = DateOnly.Parse(issuedOn, System.Globalization.CultureInfo.InvariantCulture);
        var certificate = new Certificate(CertificateKind.Isms, edition, issued, issued.AddYears(3));

        Assert.Equal(superseded, CertificateRules.IsSupersededEdition(certificate));
    }

    [Fact]
    public void PrivacyMark_IsNeverASupersededIsmsEdition()
    {
        Assert.False(CertificateRules.IsSupersededEdition(PrivacyMark with { Edition = "JIS Q 15001:2017" }));
    }

    [Fact]
    public void Validate_AcceptsCertificatesWithinTheirValidity()
    {
        Assert.True(CertificateRules.Validate(PrivacyMark).IsEmpty);
        Assert.True(CertificateRules.Validate(Isms2022).IsEmpty);
    }

    [Fact]
    public void Qa_1_5_Validate_RejectsAPrivacyMarkValidForMoreThanTwoYears()
    {
        var errors = CertificateRules.Validate(PrivacyMark with { ExpiresOn = new DateOnly(2027, 10, 2) }).ToDictionary();

        Assert.Equal(["expiresOn"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsAnIsmsCertificateValidForMoreThanThreeYears()
    {
        var errors = CertificateRules.Validate(Isms2022 with { ExpiresOn = new DateOnly(2028, 7, 2) }).ToDictionary();

        Assert.Equal(["expiresOn"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsAnExpiryNotAfterIssue()
    {
        var errors = CertificateRules.Validate(PrivacyMark with { ExpiresOn = PrivacyMark.IssuedOn }).ToDictionary();

        Assert.Equal(["expiresOn"], errors.Keys);
    }
}
