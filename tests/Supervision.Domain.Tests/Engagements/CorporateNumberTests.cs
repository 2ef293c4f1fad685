using Supervision.Domain.Engagements;

namespace Supervision.Domain.Tests.Engagements;

public sealed class CorporateNumberTests
{
    // Published by the National Tax Agency (国税庁) and Toyota Motor Corporation respectively.
    private const string NationalTaxAgency = "7000012050002";
    private const string ToyotaMotor = "1180301018771";

    /// <summary>
    /// The check digit from the published rule (法人番号の指定等に関する省令 第2条), written independently of the
    /// production code: 9 − (Σ Pₙ × Qₙ mod 9), Pₙ the n-th digit of the 12-digit base counted from the right,
    /// Qₙ = 1 when n is odd and 2 when n is even.
    /// </summary>
    private static int CheckDigit(string baseNumber)
    {
        Assert.Equal(12, baseNumber.Length);
        int sum = 0;
        for (int n = 1; n <= 12; n++)
        {
            int p = baseNumber[12 - n] - '0';
            int q = n % 2 == 1 ? 1 : 2;
            sum += p * q;
        }

        return 9 - (sum % 9);
    }

    [Theory]
    [InlineData(NationalTaxAgency)]
    [InlineData(ToyotaMotor)]
    public void KnownNumbers_HaveTheCheckDigitOfThePublishedRule(string number)
    {
        // Guards the reference implementation above against the published numbers before it is trusted below.
        Assert.Equal(number[0] - '0', CheckDigit(number[1..]));
    }

    [Theory]
    [InlineData(NationalTaxAgency)]
    [InlineData(ToyotaMotor)]
    public void CorporateNumber_IsAccepted_WhenItIsAPublishedNumber(string number)
    {
        Assert.True(CorporateNumber.IsValid(number));
    }

    [Theory]
    [InlineData("000000000000")] // Σ = 0, so the check digit is 9, never 0.
    [InlineData("123456789012")]
    [InlineData("999999999999")]
    [InlineData("000000000009")]
    public void CorporateNumber_IsAccepted_WhenCheckDigitFollowsTheRule(string baseNumber)
    {
        string number = $"{CheckDigit(baseNumber)}{baseNumber}";

        Assert.True(CorporateNumber.IsValid(number), number);
    }

    [Theory]
    [InlineData(NationalTaxAgency)]
    [InlineData(ToyotaMotor)]
    public void CorporateNumber_IsRejected_WhenCheckDigitIsWrong(string number)
    {
        int correct = number[0] - '0';
        for (int digit = 0; digit <= 9; digit++)
        {
            if (digit == correct)
                continue;
            string wrong = $"{digit}{number[1..]}";
            Assert.False(CorporateNumber.IsValid(wrong), wrong);
        }
    }

    [Fact]
    public void CorporateNumber_IsRejected_WhenABaseDigitIsChanged()
    {
        // 7000012050002 with its last digit 2 → 3: the base no longer matches check digit 7.
        const string changed = "7000012050003";
        Assert.NotEqual(7, CheckDigit(changed[1..]));

        Assert.False(CorporateNumber.IsValid(changed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("700001205000")] // 12 digits: the check digit or one base digit is missing.
    [InlineData("000012050002")] // the base number alone
    [InlineData("70000120500020")] // 14 digits
    public void CorporateNumber_IsRejected_WhenLengthIsNot13(string value)
    {
        Assert.False(CorporateNumber.IsValid(value));
    }

    [Theory]
    [InlineData("7000-12050002")]
    [InlineData("700001205000a")]
    [InlineData(" 700001205000")]
    [InlineData("7000012050002 ")]
    [InlineData("+700001205000")]
    public void CorporateNumber_IsRejected_WhenItContainsANonDigit(string value)
    {
        Assert.False(CorporateNumber.IsValid(value));
    }

    [Fact]
    public void CorporateNumber_IsRejected_WhenDigitsAreFullWidth()
    {
        // The same valid number written with full-width digits (U+FF10–U+FF19), as Japanese forms often produce.
        string fullWidth = new([.. NationalTaxAgency.Select(c => (char)('０' + (c - '0')))]);
        Assert.Equal("７００００１２０５０００２", fullWidth);

        Assert.False(CorporateNumber.IsValid(fullWidth));
    }

    [Fact]
    public void CorporateNumber_IsRejected_WhenDigitsAreArabicIndic()
    {
        // char.IsDigit would accept these; the number is ASCII digits only.
        string arabicIndic = new([.. NationalTaxAgency.Select(c => (char)('\u0660' + (c - '0')))]);

        Assert.False(CorporateNumber.IsValid(arabicIndic));
    }

    [Fact]
    public void CorporateNumber_IsRejected_WhenNull()
    {
        Assert.False(CorporateNumber.IsValid(null));
    }
}
