package io.mailcast.chunk;

class LocalChunkBoardTest extends ChunkBoardContract {

    @Override
    protected ChunkBoard newBoard() {
        return new LocalChunkBoard();
    }
}
