using Supervision.Domain.Selection;

namespace Supervision.Domain.Tests.Selection;

public sealed class CertificateRenewalTests
{
    private static readonly Certificate PrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 10, 1), new DateOnly(2027, 9, 30));
    private static readonly Certificate Isms2022 = new(CertificateKind.Isms, "ISO/IEC 27001:2022", new DateOnly(2025, 7, 1), new DateOnly(2028, 6, 30));
    private static readonly Certificate Isms2013 = new(CertificateKind.Isms, "ISO/IEC 27001:2013", new DateOnly(2023, 7, 1), new DateOnly(2026, 6, 30));

    [Fact]
    public void Qa_1_5_ValidCertificates_OutsideTheirWindow_NeedNoRenewal()
    {
        Assert.Empty(CertificateRenewal.Due([PrivacyMark, Isms2022], new DateOnly(2027, 1, 29)));
    }

    [Fact]
    public void Qa_1_5_PrivacyMark_NeedsRenewal_FromTheDayItsWindowOpens()
    {
        RenewalDue due = Assert.Single(CertificateRenewal.Due([PrivacyMark, Isms2022], new DateOnly(2027, 1, 30)));

        Assert.Equal(PrivacyMark, due.Certificate);
        Assert.Equal(CertificateStatus.ExpiringSoon, due.Status);
        Assert.Equal(new DateWindow(new DateOnly(2027, 1, 30), new DateOnly(2027, 5, 30)), due.Window);
    }

    [Fact]
    public void Qa_1_5_ExpiredPrivacyMark_StillNeedsRenewalEvidence()
    {
        RenewalDue due = Assert.Single(CertificateRenewal.Due([PrivacyMark], new DateOnly(2027, 10, 1)));

        Assert.Equal(CertificateStatus.Expired, due.Status);
    }

    [Fact]
    public void Qa_1_5_Isms_NeedsRenewal_WithinSixMonthsOfItsEnd()
    {
        Assert.Empty(CertificateRenewal.Due([Isms2022], new DateOnly(2027, 12, 29)));
        Assert.Equal(CertificateStatus.ExpiringSoon, Assert.Single(CertificateRenewal.Due([Isms2022], new DateOnly(2027, 12, 30))).Status);
    }

    [Fact]
    public void Qa_1_5_Isms2013_Lapses_AfterTheTransitionDeadline_WhateverItsPrintedExpiry()
    {
        RenewalDue due = Assert.Single(CertificateRenewal.Due([Isms2013, Isms2022], new DateOnly(2025, 11, 1)));

        Assert.Equal(Isms2013, due.Certificate);
        Assert.Equal(CertificateStatus.Lapsed, due.Status);
        Assert.Null(due.Window);
    }

    [Fact]
    public void Qa_1_5_RenewedPrivacyMark_RunsFromTheDayAfterTheOldOneEnds_ToItsNewExpiry()
    {
        Certificate? renewed = CertificateRenewal.Renewed(PrivacyMark, new DateOnly(2029, 9, 30), out var errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new Certificate(CertificateKind.PrivacyMark, null, new DateOnly(2027, 10, 1), new DateOnly(2029, 9, 30)), renewed);
        Assert.Empty(CertificateRenewal.Due([renewed!], new DateOnly(2027, 2, 15)));
    }

    [Fact]
    public void Qa_1_5_RecertifiedIsms_IsToThe2022Edition_EvenWhenTheOldOneWasTo2013()
    {
        Certificate? renewed = CertificateRenewal.Renewed(Isms2013, new DateOnly(2029, 6, 30), out _);

        Assert.Equal(CertificateRenewal.CurrentIsmsEdition, renewed!.Edition);
        Assert.False(CertificateRules.IsSupersededEdition(renewed));
    }

    [Theory]
    [InlineData("2027-09-30")]
    [InlineData("2027-01-31")]
    public void Qa_1_5_Renewal_IsRefused_WhenTheNewExpiryIsNotAfterTheOldOne(string expiresOn)
    {
        Certificate? renewed = CertificateRenewal.Renewed(PrivacyMark, DateOnly.Parse(expiresOn, System.Globalization.CultureInfo.InvariantCulture), out var errors);

        Assert.Null(renewed);
        Assert.Contains("2027-09-30", Assert.Single(errors.ToDictionary()["renewedExpiresOn"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_5_Renewal_IsRefused_WhenLongerThanTheKindsValidity()
    {
        Assert.NotNull(CertificateRenewal.Renewed(PrivacyMark, new DateOnly(2029, 10, 1), out _));
        Assert.Null(CertificateRenewal.Renewed(PrivacyMark, new DateOnly(2029, 10, 2), out var errors));
        Assert.Contains("2 years", Assert.Single(errors.ToDictionary()["renewedExpiresOn"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_SwapsOnlyTheRenewedCertificate()
    {
        Certificate renewed = PrivacyMark with { IssuedOn = new DateOnly(2027, 10, 1), ExpiresOn = new DateOnly(2029, 9, 30) };

        Assert.Equal([renewed, Isms2022], CertificateRenewal.Replace([PrivacyMark, Isms2022], PrivacyMark, renewed));
        Assert.Equal([Isms2022], CertificateRenewal.Replace([Isms2022], PrivacyMark, renewed));
    }
}
