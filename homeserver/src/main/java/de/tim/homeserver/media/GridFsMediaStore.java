package de.tim.homeserver.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.springframework.stereotype.Component;

/**
 * {@link MediaStore} in the GridFS bucket {@value #BUCKET} of the domain's database. The bucket's indexes are
 * created when the domain is initialised; one bucket object per database is reused, so the driver checks
 * the indexes once, not on every upload.
 */
@Component
class GridFsMediaStore implements MediaStore, DomainStorage {

    static final String BUCKET = "media_files";
    private static final int CHUNK_SIZE = 255 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;

    private static final int SWEEP_BATCH = 500;

    private final Map<String, GridFSBucket> buckets = new ConcurrentHashMap<>();
    /** Per database: file ids below this were swept by this process. */
    private final Map<String, ObjectId> sweptUpTo = new ConcurrentHashMap<>();

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(BUCKET + ".files").createIndex(Indexes.ascending("filename", "uploadDate"));
        database.getCollection(BUCKET + ".chunks").createIndex(Indexes.ascending("files_id", "n"),
                new IndexOptions().unique(true));
    }

    private GridFSBucket bucket(MongoDatabase database) {
        return buckets.computeIfAbsent(database.getName(), name -> GridFSBuckets.create(database, BUCKET));
    }

    @Override
    public StoredFile store(MongoDatabase database, String name, InputStream in, long maxBytes) throws IOException {
        MessageDigest sha256 = sha256();
        GridFSUploadStream upload = bucket(database).openUploadStream(name,
                new GridFSUploadOptions().chunkSizeBytes(CHUNK_SIZE));
        long length = 0;
        try {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) != -1) {
                length += n;
                if (length > maxBytes) {
                    throw MatrixException.tooLarge("Cannot upload files larger than " + maxBytes + " bytes");
                }
                sha256.update(buffer, 0, n);
                upload.write(buffer, 0, n);
            }
            upload.close();
        } catch (IOException | RuntimeException | Error e) {
            try {
                upload.abort();
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
        return new StoredFile(upload.getObjectId().toHexString(), length, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public InputStream open(MongoDatabase database, String fileId) {
        return bucket(database).openDownloadStream(new ObjectId(fileId));
    }

    @Override
    public void delete(MongoDatabase database, String fileId) {
        try {
            bucket(database).delete(new ObjectId(fileId));
        } catch (MongoGridFSException e) {
            // already gone
        }
    }

    @Override
    public void deleteNamed(MongoDatabase database, String name) {
        GridFSBucket bucket = bucket(database);
        List<ObjectId> ids = new ArrayList<>();
        for (GridFSFile file : bucket.find(Filters.eq("filename", name))) {
            ids.add(file.getObjectId());
        }
        for (ObjectId id : ids) {
            try {
                bucket.delete(id);
            } catch (MongoGridFSException e) {
                // already gone
            }
        }
    }

    @Override
    public int deleteNamedBefore(MongoDatabase database, String name, long uploadedBefore) {
        GridFSBucket bucket = bucket(database);
        List<ObjectId> ids = new ArrayList<>();
        for (GridFSFile file : bucket.find(Filters.and(Filters.eq("filename", name),
                Filters.lt("uploadDate", new java.util.Date(uploadedBefore))))) {
            ids.add(file.getObjectId());
        }
        int removed = 0;
        for (ObjectId id : ids) {
            try {
                bucket.delete(id);
                removed++;
            } catch (MongoGridFSException e) {
                // already gone
            }
        }
        return removed;
    }

    @Override
    public void deleteNamedWithPrefix(MongoDatabase database, String prefix) {
        GridFSBucket bucket = bucket(database);
        List<ObjectId> ids = new ArrayList<>();
        for (GridFSFile file : bucket.find(Filters.regex("filename", "^" + Pattern.quote(prefix)))) {
            ids.add(file.getObjectId());
        }
        for (ObjectId id : ids) {
            try {
                bucket.delete(id);
            } catch (MongoGridFSException e) {
                // already gone
            }
        }
    }

    /**
     * Chunks whose files document is missing: GridFS writes the files document after the last chunk, so a
     * process killed mid-upload leaves chunks nobody finds by name. The file id is an ObjectId created when
     * the upload opened, so its timestamp is the upload's start. Each pass looks at file ids between the
     * previous pass's bound and {@code startedBefore} (the first pass of a process at all of them).
     */
    @Override
    public int deleteAbandoned(MongoDatabase database, long startedBefore) {
        MongoCollection<Document> chunks = database.getCollection(BUCKET + ".chunks");
        MongoCollection<Document> files = database.getCollection(BUCKET + ".files");
        ObjectId upper = objectIdAt(startedBefore);
        ObjectId lower = sweptUpTo.get(database.getName());
        if (lower != null && lower.compareTo(upper) >= 0) {
            return 0;
        }
        Bson bound = lower == null ? Filters.lt("files_id", upper) : Filters.and(Filters.gte("files_id", lower),
                Filters.lt("files_id", upper));
        int removed = 0;
        ObjectId after = null;
        while (true) {
            Bson range = after == null ? bound : Filters.and(bound, Filters.gt("files_id", after));
            List<ObjectId> ids = new ArrayList<>();
            chunks.aggregate(List.of(Aggregates.match(range), Aggregates.group("$files_id"),
                    Aggregates.sort(Sorts.ascending("_id")), Aggregates.limit(SWEEP_BATCH)))
                    .forEach(d -> {
                        if (d.get("_id") instanceof ObjectId id) {
                            ids.add(id);
                        }
                    });
            for (ObjectId id : ids) {
                if (files.find(Filters.eq("_id", id)).first() == null) {
                    chunks.deleteMany(Filters.eq("files_id", id));
                    removed++;
                }
                after = id;
            }
            if (ids.size() < SWEEP_BATCH) {
                break;
            }
        }
        sweptUpTo.put(database.getName(), upper);
        return removed;
    }

    /** The smallest ObjectId of the second {@code millis} falls in. */
    static ObjectId objectIdAt(long millis) {
        return new ObjectId(String.format("%08x", Math.max(0, millis / 1000)) + "0000000000000000");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
