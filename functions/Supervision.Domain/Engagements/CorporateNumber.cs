namespace Supervision.Domain.Engagements;

/// <summary>
/// The 13-digit Japanese corporate number (法人番号): a leading check digit over the 12-digit base number.
/// Check digit = 9 − (Σ Pₙ × Qₙ mod 9), Pₙ the n-th digit of the base counted from the right,
/// Qₙ = 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第2条).
/// </summary>
public static class CorporateNumber
{
    public const int Length = 13;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length || !value.All(char.IsAsciiDigit))
            return false;

        int sum = 0;
        for (int n = 1; n <= 12; n++)
        {
            int digit = value[Length - n] - '0';
            sum += digit * (n % 2 == 1 ? 1 : 2);
        }

        return value[0] - '0' == 9 - (sum % 9);
    }
}
