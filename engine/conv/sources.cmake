# engine/conv: convolution algorithms, Winograd, FlashAttention, layouts as address maps.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/conv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/winograd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
)
