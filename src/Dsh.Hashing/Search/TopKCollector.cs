namespace Dsh.Hashing.Search;

/// <summary>
/// Exact top-k by distance buckets: a count a distance (0..bits) and a list of accepted (distance, slot)
/// pairs. Once k codes are strictly closer than the threshold, the threshold drops, so a scan skips
/// nearly every code after the first few thousand without a sort of all N. Ties at the threshold are
/// all kept, so the final order by (distance, id) is exact.
/// </summary>
internal sealed class TopKCollector : NeighborSink
{
    private readonly int _k;
    private readonly int[] _counts;
    private int[] _distances;
    private int[] _slots;
    private int _size;
    private int _live;

    public TopKCollector(int k, int codeLength)
    {
        _k = k;
        _counts = new int[codeLength + 1];
        int capacity = Math.Min(Math.Max(16, 2 * k), 1 << 16);
        _distances = new int[capacity];
        _slots = new int[capacity];
        Threshold = codeLength;
    }

    public override void Add(int distance, int slot)
    {
        if (distance > Threshold)
        {
            return;
        }

        if (_size == _distances.Length)
        {
            Compact();
            if (_size * 2 > _distances.Length)
            {
                Array.Resize(ref _distances, _distances.Length * 2);
                Array.Resize(ref _slots, _slots.Length * 2);
            }
        }

        _distances[_size] = distance;
        _slots[_size] = slot;
        _size++;
        _counts[distance]++;
        _live++;

        // Drop the farthest bucket while k codes remain strictly closer than it.
        while (_live - _counts[Threshold] >= _k)
        {
            _live -= _counts[Threshold];
            _counts[Threshold] = 0;
            Threshold--;
        }
    }

    /// <summary>The k best as (distance, id), sorted; <paramref name="ids"/> maps slots to ids.</summary>
    public Neighbor[] ToResult(ReadOnlySpan<long> ids)
    {
        var all = new Neighbor[_live];
        int n = 0;
        for (int i = 0; i < _size; i++)
        {
            if (_distances[i] <= Threshold)
            {
                all[n++] = new Neighbor(ids[_slots[i]], _distances[i]);
            }
        }

        Array.Sort(all, 0, n);
        if (n > _k)
        {
            Array.Resize(ref all, _k);
        }

        return all;
    }

    private void Compact()
    {
        int n = 0;
        for (int i = 0; i < _size; i++)
        {
            if (_distances[i] <= Threshold)
            {
                _distances[n] = _distances[i];
                _slots[n] = _slots[i];
                n++;
            }
        }

        _size = n;
    }
}
