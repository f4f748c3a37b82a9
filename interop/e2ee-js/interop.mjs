// Two demo users of the local stack (./run-local) exchange an encrypted message with matrix-js-sdk 36 and
// its Rust crypto: room with m.room.encryption, key query/claim, Olm session over to-device, Megolm room
// key, encrypted event, decryption on the other side. Exit code 0 on success.
//
//   NODE_EXTRA_CA_CERTS=../../.tim-local/tls/dev-ca.pem node interop.mjs
//
// Environment: TIM_BASE_URL (default https://localhost:8443), TIM_BASE_URL_B (user B's homeserver, default
// TIM_BASE_URL), TIM_USER_A / TIM_USER_B (default the praxis-a demo users), TIM_PASSWORD (default:
// ../../.tim-local/secrets/demo-password), TIM_TIMEOUT_MS. Across domains (over federation, through both gateways):
//   TIM_BASE_URL_B=https://localhost:9443 TIM_USER_B=@ben.weber:klinik-b.tim.local node interop.mjs
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as sdk from "matrix-js-sdk";
import * as RustSdkCryptoJs from "@matrix-org/matrix-sdk-crypto-wasm";
import { logger } from "matrix-js-sdk/lib/logger.js";

logger.setLevel("warn");

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = process.env.TIM_BASE_URL ?? "https://localhost:8443";
const baseUrlB = process.env.TIM_BASE_URL_B ?? baseUrl;
const userA = process.env.TIM_USER_A ?? "@anna.schmidt:praxis-a.tim.local";
const userB = process.env.TIM_USER_B ?? "@empfang:praxis-a.tim.local";
const password = process.env.TIM_PASSWORD
    ?? readFileSync(path.join(here, "../../.tim-local/secrets/demo-password"), "utf8").trim();
const timeoutMs = Number(process.env.TIM_TIMEOUT_MS ?? 60000);

function withTimeout(promise, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), timeoutMs); }),
    ]).finally(() => clearTimeout(timer));
}

async function login(userId, baseUrl) {
    const anonymous = sdk.createClient({ baseUrl });
    const res = await anonymous.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: userId },
        password,
        initial_device_display_name: "e2ee interop",
    });
    const client = sdk.createClient({ baseUrl, userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token });
    await client.initRustCrypto({ useIndexedDB: false });
    // the SDK turns the crypto crate's tracing on at debug level; warnings are enough here
    new RustSdkCryptoJs.Tracing(RustSdkCryptoJs.LoggerLevel.Warn).turnOn();
    const synced = new Promise((resolve) => client.once(sdk.ClientEvent.Sync, (state) => resolve(state)));
    await client.startClient({ initialSyncLimit: 10 });
    await withTimeout(synced, `first sync of ${userId}`);
    console.log(`${userId}: logged in as device ${res.device_id}, crypto ${client.getCrypto() ? "on" : "off"}`);
    return client;
}

function waitFor(client, predicate, what) {
    return withTimeout(new Promise((resolve) => {
        const check = () => {
            const result = predicate();
            if (result) {
                client.off(sdk.ClientEvent.Sync, check);
                client.off(sdk.RoomEvent.Timeline, check);
                client.off(sdk.RoomStateEvent.Members, check);
                resolve(result);
            }
        };
        client.on(sdk.ClientEvent.Sync, check);
        client.on(sdk.RoomEvent.Timeline, check);
        client.on(sdk.RoomStateEvent.Members, check);
        check();
    }), what);
}

async function main() {
    const alice = await login(userA, baseUrl);
    const bob = await login(userB, baseUrlB);
    try {
        const { room_id: roomId } = await alice.createRoom({
            preset: sdk.Preset.PrivateChat,
            invite: [bob.getUserId()],
            initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
        });
        console.log(`room created, encrypted: ${roomId}`);
        await waitFor(bob, () => bob.getRoom(roomId)?.getMyMembership() === "invite", "invite reaches bob");
        await bob.joinRoom(roomId);
        await waitFor(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId())?.membership === "join",
            "alice sees bob joined");
        await waitFor(alice, () => alice.getRoom(roomId)?.hasEncryptionStateEvent(), "alice sees the encryption state");

        const text = `hello from interop ${new Date().toISOString()}`;
        const decrypted = withTimeout(new Promise((resolve, reject) => {
            bob.on(sdk.MatrixEventEvent.Decrypted, (event, err) => {
                if (event.getRoomId() !== roomId) return;
                if (err || event.isDecryptionFailure()) {
                    reject(new Error(`decryption failed: ${err?.message ?? event.decryptionFailureReason}`));
                } else if (event.getType() === "m.room.message") {
                    resolve(event);
                }
            });
        }), "bob decrypts the message");
        const { event_id: eventId } = await alice.sendTextMessage(roomId, text);
        console.log(`alice sent an encrypted event ${eventId}`);
        const event = await decrypted;
        if (!event.isEncrypted() || event.getWireType() !== "m.room.encrypted") {
            throw new Error("the received event was not encrypted on the wire");
        }
        if (event.getContent().body !== text) {
            throw new Error("decrypted body differs");
        }
        console.log(`bob decrypted ${event.getId()} from ${event.getSender()}: OK`);
    } finally {
        alice.stopClient();
        bob.stopClient();
    }
}

main().then(() => process.exit(0), (e) => {
    console.error(`FAILED: ${e.message}`);
    process.exit(1);
});
