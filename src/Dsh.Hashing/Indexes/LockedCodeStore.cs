using Dsh.Hashing.Persistence;

namespace Dsh.Hashing.Indexes;

/// <summary>
/// A <see cref="CodeStore"/> behind the reader–writer lock both indexes use, with the members they share.
/// <c>using (rows.Read())</c> and <c>using (rows.Write())</c> scope the lock; searches share it, writes
/// hold it alone. The lock does not recurse: a batch takes it once and its workers run lock-free.
/// </summary>
internal sealed class LockedCodeStore
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public LockedCodeStore(CodeStore store) => Store = store;

    /// <summary>The rows; touch them only inside <see cref="Read"/> or <see cref="Write"/>.</summary>
    public CodeStore Store { get; }

    public int CodeLength => Store.CodeLength;

    public int Count
    {
        get
        {
            using (Read())
            {
                return Store.Count;
            }
        }
    }

    /// <summary>Holds the lock shared until disposed.</summary>
    public ReadScope Read()
    {
        _lock.EnterReadLock();
        return new ReadScope(_lock);
    }

    /// <summary>Holds the lock alone until disposed.</summary>
    public WriteScope Write()
    {
        _lock.EnterWriteLock();
        return new WriteScope(_lock);
    }

    public bool Contains(long id)
    {
        using (Read())
        {
            return Store.Contains(id);
        }
    }

    public bool TryGetCode(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BinaryCode? code)
    {
        using (Read())
        {
            code = Store.TryGetSlot(id, out int slot) ? BinaryCode.FromWords(Store.Row(slot), Store.CodeLength) : null;
            return code is not null;
        }
    }

    public IndexSnapshot Snapshot()
    {
        using (Read())
        {
            return IndexSnapshot.Of(Store);
        }
    }

    public void Save(Stream stream, string kind, int parameter)
    {
        Internal.Guard.NotNull(stream);
        using (Read())
        {
            IndexFile.Write(stream, kind, Store, parameter);
        }
    }

    /// <summary>The shared lock, released on dispose.</summary>
    internal readonly struct ReadScope(ReaderWriterLockSlim owner) : IDisposable
    {
        public void Dispose() => owner.ExitReadLock();
    }

    /// <summary>The exclusive lock, released on dispose.</summary>
    internal readonly struct WriteScope(ReaderWriterLockSlim owner) : IDisposable
    {
        public void Dispose() => owner.ExitWriteLock();
    }
}
