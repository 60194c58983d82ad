namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// Per-thread "seen in this search" marks: one int a row number, holding the stamp of the last search
/// that saw the row. A new search takes a new stamp instead of clearing the array. Each thread runs one
/// search at a time, so sharing the array across indexes on a thread is safe.
/// </summary>
internal static class VisitedMarks
{
    [ThreadStatic]
    private static int[]? t_marks;

    [ThreadStatic]
    private static int t_stamp;

    /// <summary>Marks for at least <paramref name="rows"/> rows and a stamp no entry holds yet.</summary>
    public static int[] Begin(int rows, out int stamp)
    {
        int[]? marks = t_marks;
        if (marks is null || marks.Length < rows)
        {
            marks = new int[Math.Max(rows, (int)Math.Min(Array.MaxLength, (marks?.Length ?? 0) * 2L))];
            t_marks = marks;
            t_stamp = 0;
        }

        if (t_stamp == int.MaxValue)
        {
            Array.Clear(marks);
            t_stamp = 0;
        }

        stamp = ++t_stamp;
        return marks;
    }
}
